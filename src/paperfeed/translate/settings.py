"""What TRANSLATE_TO, TRANSLATE_MODEL and TRANSLATE_MAX_PAPERS may say. Pure."""

from __future__ import annotations

import re
from typing import Any

from ..errors import TranslateConfigError
from ..text import whole_number

# Amazon Nova Lite: Converse + forced tool use, optimised for Korean among 15 languages,
# about $0.00006 / $0.00024 per 1,000 input / output tokens (docs/translation.md).
DEFAULT_MODEL = "amazon.nova-lite-v1:0"
DEFAULT_MAX_PAPERS = 30
# Seconds of a run spent starting translations (the Lambda has 300 s for everything).
DEFAULT_TIME_BUDGET = 120.0

LANG_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_LANG_NAMES = {
    "ar": "Arabic", "de": "German", "es": "Spanish", "fr": "French", "hi": "Hindi",
    "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch", "pt": "Portuguese",
    "ru": "Russian", "tr": "Turkish", "he": "Hebrew", "vi": "Vietnamese", "id": "Indonesian",
    "th": "Thai", "pl": "Polish", "uk": "Ukrainian", "zh": "Chinese", "zh-hans":
    "Simplified Chinese", "zh-hant": "Traditional Chinese", "zh-cn": "Simplified Chinese",
    "zh-tw": "Traditional Chinese", "pt-br": "Brazilian Portuguese",
}


def parse_target_lang(value: str) -> str:
    """A target language code ("ko", "pt-BR", "zh-Hant"), normalised to lower case."""
    code = str(value or "").strip().replace("_", "-").lower()
    if not LANG_CODE.match(code) or len(code) > 35:
        raise TranslateConfigError(f"TRANSLATE_TO {value!r} is not a language code like 'ko'")
    return code


def language_name(lang: str) -> str:
    name = _LANG_NAMES.get(lang) or _LANG_NAMES.get(lang.split("-")[0])
    return f"{name} ({lang})" if name else f"the language with the BCP 47 code '{lang}'"


def parse_model(value: str) -> str:
    """A Bedrock model id, inference profile id or ARN, e.g. "amazon.nova-lite-v1:0"."""
    model = str(value or "").strip()
    if not model or len(model) > 2048 or not re.fullmatch(r"[\x21-\x7e]+", model):
        raise TranslateConfigError(f"TRANSLATE_MODEL {value!r} is not a Bedrock model id")
    return model


def parse_max_papers(value: Any) -> int:
    return whole_number(value, "TRANSLATE_MAX_PAPERS", 0, 1_000, TranslateConfigError)
