"""The main window and the jobs it composes: tabs, node, lane and ownership actions, modes."""
