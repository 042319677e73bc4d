"""Import: blank and pre-filled Excel entry templates, and the upload pipeline for a filled
template or the long CSV — validated, previewed, committed whole or not at all."""
