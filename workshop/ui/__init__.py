"""PySide6 widgets: canvas, panels, presenter window. The only package that imports QtWidgets."""
