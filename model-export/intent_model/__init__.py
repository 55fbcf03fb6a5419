"""intent-stream's model side: data loading, features, training, evaluation and ONNX export.

Run the commands as modules from `model-export/`: `python3 -m intent_model.train` (default
model), `python3 -m intent_model.real_data` (real-data evaluation), `python3 -m
intent_model.sizing`; the shell scripts next to this package do exactly that.
"""
