"""The Qt user interface: main window, workspaces, item models, actions, workers and themes.

Only this package (and ``pse_desk.app``) imports PySide6 or qtawesome; widgets translate between
Qt and the services below and hold no domain logic.
"""
