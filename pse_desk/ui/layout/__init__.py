"""The Layout workspace: the site's panels and what is in them."""
