"""Clearly labelled synthetic demo data: values in :mod:`smartcommune.demo.synthetic`."""
