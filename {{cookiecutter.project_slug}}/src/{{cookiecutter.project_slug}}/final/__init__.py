"""Present the estimations: one table comparing them all, one figure of each."""
