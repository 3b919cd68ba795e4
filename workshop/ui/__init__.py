"""PySide6 widgets: the only package that imports QtWidgets.

Its sub-packages by job: ``canvas`` (the scene, its items, the view, the Overview), ``window`` (the main
window and the jobs it composes), ``panels`` (the method's docked panels), ``presenter`` (the projector),
``participation`` (phones: the server's bridge and the Participants panel), ``walkthrough`` (the
simulation walk), ``files`` (opening, the start page, New workshop, exports) and ``study`` (a study's
timeline and its texts). What every package uses stays here: ``app``, ``host``, ``settings``, ``themes``,
``throttle``, ``widgets``.
"""
