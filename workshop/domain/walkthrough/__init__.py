"""The simulation workshop: a walk through the model, its recorded moves, their summary, and the what-if expectation."""
