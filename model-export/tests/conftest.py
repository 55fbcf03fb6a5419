import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))          # model-export/ modules
DATA = os.path.join(HERE, "data")

import torch  # noqa: E402

torch.set_num_threads(2)
