"""Stage 4, translate (optional): a paper's summary, abstract and three key points, translated.

One module per job, pure except the Bedrock adapter:
- `settings`: what TRANSLATE_TO / TRANSLATE_MODEL / TRANSLATE_MAX_PAPERS may say;
- `identity`: what a translation was made from (`source_hash`), `is_current`, `displayable`;
- `prompt`: the Converse request and the tool schema;
- `answer`: the hand-written validation of an answer;
- `backend`: the `Backend` protocol and the `TranslateOutcome` of one call;
- `bedrock`: the shell, `Translator` over boto3 (the only module here that imports an SDK);
- `batch`: the order papers are worth translating in and the per-run budget.
The stored `Translation` is in `paperfeed.models`; its JSON form is the archive's.
Nothing here is imported by this package file, so reading a translation never loads the shell.
"""
