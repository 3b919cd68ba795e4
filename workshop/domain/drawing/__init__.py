"""The one drawing: shapes of every element, the style table and the organizations' colours."""
