"""The service directory's routes: no child data."""

SIGNED_IN = {
    # Roles with SEARCH_DIRECTORY (404 for others); every search audited, no child data.
    "directory/",
    "api/directory/services",
    # Roles with MANAGE_DIRECTORY (data analysts; 404 for others); imports audited.
    "directory/import/",
    # The area's levels of need and vocabulary: reference material for everyone signed in.
    "directory/continuum/",
}
