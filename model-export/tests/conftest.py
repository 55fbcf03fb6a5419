import os

import torch

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")

torch.set_num_threads(2)
