"""The resources of API version 1, one module each; :mod:`smartcommune.api.api` mounts them."""
