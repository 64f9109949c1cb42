"""Pages of housing: the housing office's (``housing``), the residences' (``places``), the public list (``public``)."""
