"""Drawing and editing the model: the scene, its items, the view and the Overview."""
