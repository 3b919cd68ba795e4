"""The projector: presenter window, its actions and the pictures made for it."""
