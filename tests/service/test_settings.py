from pathlib import Path

import pytest

from quote_stance.service.settings import Settings, SettingsError, from_env


def test_defaults():
    settings = from_env({})
    assert settings == Settings()
    assert settings.max_body_bytes == 1 << 20 and settings.max_batch == 1000
    assert not settings.auth_enabled and settings.model_dir is None and not settings.log_text
    assert not settings.opentelemetry


def test_values_are_parsed():
    settings = from_env(
        {
            "STANCE_MODEL_DIR": "/srv/model",
            "STANCE_API_KEYS": " a1, ,b2 ",
            "STANCE_MAX_BODY_BYTES": "2_000_000",
            "STANCE_MAX_BATCH": "50",
            "STANCE_MAX_TEXT_CHARS": "400",
            "STANCE_CORS_ORIGINS": "https://cms.example,https://desk.example",
            "STANCE_LOG_TEXT": "1",
            "STANCE_OPENTELEMETRY": "yes",
        }
    )
    assert settings.model_dir == Path("/srv/model")
    assert settings.api_keys == ("a1", "b2") and settings.auth_enabled
    assert (settings.max_body_bytes, settings.max_batch, settings.max_text_chars) == (2_000_000, 50, 400)
    assert settings.cors_origins == ("https://cms.example", "https://desk.example")
    assert settings.log_text and settings.opentelemetry
    assert "a1" not in repr(settings)


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("STANCE_MAX_BATCH", "many", "not a whole number"),
        ("STANCE_MAX_BODY_BYTES", "0", "below the minimum"),
        ("STANCE_LOG_TEXT", "perhaps", "STANCE_LOG_TEXT"),
    ],
)
def test_bad_values_name_the_variable(name, value, message):
    with pytest.raises(SettingsError, match=message) as caught:
        from_env({name: value})
    assert name in str(caught.value)
