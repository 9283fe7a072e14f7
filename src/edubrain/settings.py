"""Django settings, read from environment variables.

DATABASE_URL  default: SQLite file under var/ (``var/edubrain.sqlite3``)
SECRET_KEY    default: generated once for development and kept in var/secret_key
DEBUG         off unless set to 1/true
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("EDUBRAIN_HOME", Path.cwd())).resolve()
VAR_DIR = Path(os.environ.get("EDUBRAIN_VAR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [
    o
    for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000").split(",")
    if o
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "edubrain.base",
    "edubrain.accounts",
    "edubrain.registry",
    "edubrain.fitness",
    "edubrain.vision",
    "edubrain.balance",
    "edubrain.places",
    "edubrain.plans",
    "edubrain.work",
    "edubrain.admission",
    "edubrain.reports",
    "edubrain.imports",
    "edubrain.demo",
    "edubrain.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "edubrain.base.middleware.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "edubrain.urls"
WSGI_APPLICATION = "edubrain.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "edubrain.web.context.navigation",
                "edubrain.web.context.notifications",
                "edubrain.admission.parents.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'edubrain.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    # SQLite cannot enforce UNIQUE … NULLS NOT DISTINCT (vision screenings without a date); the import
    # layer keys those rows itself, and PostgreSQL, the production database, enforces the constraint.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise: collected files here, finders otherwise
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Files: static files through WhiteNoise; 工作推进 attachments in one storage ("attachments"): a directory
# under var/ by default; object storage by pointing EDUBRAIN_ATTACHMENT_STORAGE at a backend (e.g.
# "storages.backends.s3.S3Storage", options as JSON in EDUBRAIN_ATTACHMENT_STORAGE_OPTIONS).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {
        "BACKEND": os.environ.get(
            "EDUBRAIN_ATTACHMENT_STORAGE", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(
            os.environ.get("EDUBRAIN_ATTACHMENT_STORAGE_OPTIONS")
            or json.dumps({"location": str(VAR_DIR / "attachments")})
        ),
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# The daily digest (edubrain work digest) and other mail: printed to the console unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "智慧教育大脑 <noreply@edubrain.local>")
# Links in e-mails (the digest) point here.
SITE_URL = os.environ.get("EDUBRAIN_SITE_URL", "http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Domain settings. A point the reference marks unverified is a setting with the stated default.
# The plan review page posts one field per cell of every target, task and project (~750 for a county plan).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EDUBRAIN = {
    # 学制: "6-3" (小学六年、初中三年) or "5-4" (淄博 historically used 五四制)
    "SCHOOL_SYSTEM": os.environ.get("EDUBRAIN_SCHOOL_SYSTEM", "6-3"),
    "COUNTY_DIVISION_CODE": os.environ.get("EDUBRAIN_COUNTY_CODE", "370323"),
    "PAGE_SIZE": 50,
    # Imports: files above this size are refused; files above BACKGROUND_ROWS rows run in the background.
    "IMPORT_MAX_BYTES": int(os.environ.get("EDUBRAIN_IMPORT_MAX_BYTES", 200 * 1024 * 1024)),
    "IMPORT_BACKGROUND_ROWS": int(os.environ.get("EDUBRAIN_IMPORT_BACKGROUND_ROWS", 5000)),
    "IMPORT_DIR": VAR_DIR / "imports",
    # Generated reports (docx/pdf/xlsx) are kept here; PDF conversion runs LibreOffice headless (soffice).
    "REPORT_DIR": VAR_DIR / "reports",
    "SOFFICE": os.environ.get("EDUBRAIN_SOFFICE", "soffice"),
    "REPORT_JOBS_SYNC": _env_bool("EDUBRAIN_REPORT_JOBS_SYNC"),  # run report jobs inline (tests)
    # 体质健康标准 points the 2014 document leaves open (reference README §5): round BMI half-up to 0.1 before
    # banding; rate 学年总分 rounded half-up to 0.1 (89.95 → 优秀).
    "FITNESS_BMI_HALF_UP": _env_bool("EDUBRAIN_FITNESS_BMI_HALF_UP", True),
    "FITNESS_RATE_ROUNDED": _env_bool("EDUBRAIN_FITNESS_RATE_ROUNDED", True),
    # 视力筛查 (standards.md §5): overrides of ``core.vision.classify.VisionOptions`` fields, e.g.
    # {"myopia_comparator": "<"} for texts that read SE < −0.50 D as 筛查性近视 (default "<=").
    "VISION_OPTIONS": {},
    # 预警随访 (§5.5 proposed default ⚠): a screening at or above this 预警等级, or with a level risen
    # since the previous screening, opens a follow-up due this many days later; screenings older than
    # the window (days before the sync) open none.
    "VISION_FOLLOWUP_MIN_LEVEL": int(os.environ.get("EDUBRAIN_VISION_FOLLOWUP_MIN_LEVEL", 1)),
    "VISION_FOLLOWUP_DAYS": int(os.environ.get("EDUBRAIN_VISION_FOLLOWUP_DAYS", 30)),
    "VISION_FOLLOWUP_WINDOW_DAYS": int(os.environ.get("EDUBRAIN_VISION_FOLLOWUP_WINDOW_DAYS", 180)),
    # 工作推进: a report is due this many days after its period ends; reminders this many days before a
    # deadline; attachments up to this size, of these types (extension → the content the file must hold).
    "WORK_REPORT_DUE_DAYS": int(os.environ.get("EDUBRAIN_WORK_REPORT_DUE_DAYS", 10)),
    "WORK_REMIND_DAYS": int(os.environ.get("EDUBRAIN_WORK_REMIND_DAYS", 3)),
    "WORK_RECTIFY_DAYS": {"minor": 30, "major": 15, "serious": 7},
    "ATTACHMENT_MAX_BYTES": int(os.environ.get("EDUBRAIN_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)),
    "ATTACHMENT_EXTENSIONS": [
        ".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx", ".doc", ".xls", ".txt",
    ],
    # 网上招生: parents' document photos (jpg/png only) up to this size; one-time codes (验证码) valid this
    # many minutes, at most one a minute and CODES_PER_HOUR an hour per phone; at most SUBMITS_PER_WINDOW
    # applications from one phone within SUBMIT_WINDOW_MINUTES. SMS_BACKEND "console" prints the text
    # (development), "file" appends it to SMS_FILE (load benchmark).
    "ADMISSION_PHOTO_MAX_BYTES": int(os.environ.get("EDUBRAIN_ADMISSION_PHOTO_MAX_BYTES", 5 * 1024 * 1024)),
    "ADMISSION_CODE_MINUTES": int(os.environ.get("EDUBRAIN_ADMISSION_CODE_MINUTES", 10)),
    "ADMISSION_CODES_PER_HOUR": int(os.environ.get("EDUBRAIN_ADMISSION_CODES_PER_HOUR", 5)),
    "ADMISSION_SUBMITS_PER_WINDOW": int(os.environ.get("EDUBRAIN_ADMISSION_SUBMITS_PER_WINDOW", 3)),
    "ADMISSION_SUBMIT_WINDOW_MINUTES": int(os.environ.get("EDUBRAIN_ADMISSION_SUBMIT_WINDOW_MINUTES", 10)),
    "SMS_BACKEND": os.environ.get("EDUBRAIN_SMS_BACKEND", "console"),
    "SMS_FILE": os.environ.get("EDUBRAIN_SMS_FILE", str(VAR_DIR / "sms.log")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
