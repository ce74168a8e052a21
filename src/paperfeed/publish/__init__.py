"""Stage 7, publish: rendered objects -> the site, changed bytes only.

- `plan` (pure): which objects to upload, with their Content-Type and Cache-Control;
- `validate` (pure): the last check that refuses a broken object;
- `stores/` (shells): where the site lives, a folder or an S3 bucket, behind one protocol;
- `cdn` (shell): the CloudFront invalidation of what changed;
- `websub` (shell): the hub ping that tells subscribers a feed changed.
"""
