"""Rules of the advice engine, one module per step of the method."""
