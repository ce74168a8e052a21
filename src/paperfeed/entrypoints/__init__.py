"""The ways in, each a few lines over `paperfeed.run.run(config)`.

- `cli`: the `paperfeed` command (`run`, `serve`);
- `lambda_handler`: the AWS Lambda handler (Powertools logging and metrics around one call);
- `serve`: a local HTTP server for a built site, with the headers S3 and CloudFront send.
"""
