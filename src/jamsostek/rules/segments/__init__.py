"""The scalar contribution rules of each segment (PU, BPU, Jakon, PMI), one module each."""
