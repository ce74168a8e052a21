"""The stores: `base` (the `Store` protocol), one file per adapter (`folder`, `s3`)."""
