"""The judge process: pytest with the kit's plugin, running one item's grader. It decides every verdict and
never imports student code: `impl` is a proxy to the sandboxed worker."""
