"""The module a clean worker imports (plugin.clean_impl): nothing, so no student code runs in that process."""
