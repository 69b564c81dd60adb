"""Settings shared by every environment. Safe by default: no debug, no secret.

Everything that differs between deployments is read from the environment here (and only here),
see `.env.example`.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MAILLAGE_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, empty items dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # Maillage, from the top of the import graph to the bottom (DESIGN.md §3).
    "portal",
    "api",
    "reports",
    "relay",
    "newsletter",
    "territory",
    "trainings",
    "peer_exchange",
    "numeritheque",
    "events",
    "directory",
    "accounts",
    "taxonomy",
    "core",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django Ninja's templates and its bundled Swagger UI: the API docs work offline.
    "ninja",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # French whatever Accept-Language says (core.middleware, issue 17).
    "core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.QueryStringHygieneMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "api.middleware.OpenApiMiddleware",
    "core.middleware.PortalContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.AdminAccessMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "core.middleware.PersonalDataAccessMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            "builtins": ["core.templatetags.french_dates"],
        },
    },
]

# SQLite on a laptop, PostgreSQL wherever DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the Celery worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # PostgreSQL's JIT compiles any query it estimates as costly: for the catalogue's 40 ms
    # query it spent 50 ms compiling (bench, full size). Web queries are short: no JIT.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:my_space"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # accounts.adapters: the From name says who writes
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "directory.signup.SignupStructureForm"
# Every change to an account (password, address, second factor) is told by email, the address
# change to the former address with a way to undo it (accounts/adapters.py).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Same answer, same email count and same work for new and existing addresses (no enumeration).
ACCOUNT_FORMS = {"signup": "accounts.signup.SignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Failed logins: 20 per client address in five minutes (allauth, on the real address behind
# TRUSTED_PROXIES); per account, an exponential delay after five (accounts/throttle.py), which a
# one-time code sent by email bypasses (login by code).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes, and
# security keys or passkeys (WebAuthn) where the browser offers them.
# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Maillage")
# Hub staff and the numérithèque manager see everyone's data: when this is on (production's
# default), they reach no other page than their account's until they have a second factor
# (accounts/middleware.py). Optional for everyone else.
MAILLAGE_STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
# ProConnect (OpenID Connect), off unless its variables are set.
SOCIALACCOUNT_PROVIDERS = {}
if os.environ.get("PROCONNECT_CLIENT_ID"):
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "proconnect",
                "name": "ProConnect",
                "client_id": os.environ["PROCONNECT_CLIENT_ID"],
                "secret": os.environ.get("PROCONNECT_CLIENT_SECRET", ""),
                "settings": {
                    "server_url": os.environ.get(
                        "PROCONNECT_SERVER_URL",
                        "https://auth.agentconnect.gouv.fr/api/v2/.well-known/openid-configuration",
                    ),
                    "token_auth_method": "client_secret_post",
                    "scope": ["openid", "email", "given_name", "usual_name"],
                },
            }
        ],
    }

LANGUAGE_CODE = "fr"
# French only: the portal's own strings exist in French alone, so an English page would mix
# Django's and allauth's English with our French (issue 17). A language is offered here, and
# to Wagtail's editors, only with a catalogue of the portal in LOCALE_PATHS (core.checks).
LANGUAGES = [("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# The largest file a form accepts (imports of places and subscribers; core.uploads).
MAILLAGE_UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(50 * 1024 * 1024)))

# Email: a file outbox unless SMTP (EMAIL_HOST) or an ESP (BREVO_API_KEY) is configured.
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Maillage <ne-pas-repondre@maillage.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of Message-IDs and List-Id: the one DKIM signs (see README, "Courriels").
MAILLAGE_MAIL_DOMAIN = os.environ.get(
    "MAIL_DOMAIN", DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")
)
# Where participants' answers to the agenda's emails go (Reply-To): the Hub team's mailbox,
# since messages leave from a no-reply address.
MAILLAGE_HUB_REPLY_TO = os.environ.get("HUB_REPLY_TO", f"contact@{MAILLAGE_MAIL_DOMAIN}")
# https://docs.djangoproject.com/en/6.1/topics/email/ (MAILERS replaces the EMAIL_* settings).
if os.environ.get("BREVO_API_KEY"):
    MAILERS = {"default": {"BACKEND": "anymail.backends.brevo.EmailBackend"}}
    ANYMAIL = {
        "BREVO_API_KEY": os.environ["BREVO_API_KEY"],
        "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
    }
elif os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "outbox")},
        }
    }
MAILLAGE_UNSUBSCRIBE_MAILTO = os.environ.get(
    "UNSUBSCRIBE_MAILTO", "desinscription@maillage.localhost"
)
# Newsletter: messages per batch (one mail server connection each), throttling (0: none).
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "50"))
NEWSLETTER_MESSAGES_PER_MINUTE = int(os.environ.get("NEWSLETTER_MESSAGES_PER_MINUTE", "0"))
# A batch that has not claimed a message for this long died with its worker (its heartbeat
# rides on its claims; an SMTP exchange times out after 20 s): what it left "sending" becomes
# uncertain and the campaign resumes (newsletter/services/delivery.py).
NEWSLETTER_SENDER_GONE_AFTER = int(os.environ.get("NEWSLETTER_SENDER_GONE_AFTER", "30"))
# Deliveries claimed together (one commit before they leave, one UPDATE for their outcomes):
# a worker that dies mid-group leaves at most this many « incertain ».
NEWSLETTER_CLAIM_SIZE = int(os.environ.get("NEWSLETTER_CLAIM_SIZE", "10"))
# Chains of batches sending one campaign at once (each batch enqueues the next).
NEWSLETTER_PARALLEL_BATCHES = int(os.environ.get("NEWSLETTER_PARALLEL_BATCHES", "2"))
# From this many recipients, sending a campaign asks staff to type the number they send to.
NEWSLETTER_TYPED_CONFIRMATION_FROM = int(
    os.environ.get("NEWSLETTER_TYPED_CONFIRMATION_FROM", "500")
)

# Map tiles of the directory (Leaflet); the host must also be allowed in SECURE_CSP img-src.
MAILLAGE_MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)

# How long a request waits for a row another one has locked before it is told to try again
# (core.locking); well under the web server's timeout.
MAILLAGE_LOCK_TIMEOUT_SECONDS = float(os.environ.get("LOCK_TIMEOUT_SECONDS", "10"))

# Cache: Redis when REDIS_URL is set, otherwise in-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole pages for anonymous visitors, invalidated on every write (core/page_cache.py); the
# lifetime bounds what depends on the clock only. 0 switches it off, the default without Redis:
# an in-process cache would not see the writes of the Celery worker.
MAILLAGE_PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60" if REDIS_URL else "0"))
# Pages stored per view and per generation at most (a flood of query strings stays bounded).
MAILLAGE_PAGE_CACHE_MAX_PER_VIEW = int(os.environ.get("PAGE_CACHE_MAX_PER_VIEW", "200"))
MAILLAGE_PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/api/", "/comptes/", "/mon-espace/")
# Fragments the same for every visitor (session and training cards, core/fragment_cache.py),
# kept this long under one data version: for the pages the page cache does not serve (signed-in
# people). 0 switches them off.
MAILLAGE_FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "3600"))
# The number every cache of public data is keyed by (core.data_version): in Redis when there is
# one, else in a database row, which the web process and the Celery worker both see.
MAILLAGE_DATA_VERSION_IN_CACHE = bool(REDIS_URL)

# Celery: Redis in production; a broker in plain files on a laptop, so that no server is needed
# and a real worker still runs (kombu filesystem transport).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    # kombu's file transport fails on a missing folder: any manage.py command of a fresh clone
    # (make demo included) may enqueue a task, so the folders exist as soon as settings load.
    for _folder in ("data_folder_in", "processed_folder", "control_folder"):
        Path(CELERY_BROKER_TRANSPORT_OPTIONS[_folder]).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Tasks that send email or call a server retry transient errors (core.tasks): 30 s, 1 min,
# 2 min… at most an hour apart, each drawn at random below that (full jitter), 8 times.
MAILLAGE_NETWORK_TASK_RETRIES = 8
MAILLAGE_NETWORK_TASK_BACKOFF_SECONDS = 30
MAILLAGE_NETWORK_TASK_BACKOFF_MAX_SECONDS = 3600
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Wagtail's own background jobs (reference index, image renditions) use django-tasks, apart from
# Celery: they run in the request, which is fine for a Hub's volume of edits.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

WAGTAIL_SITE_NAME = "Maillage"
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "french"}
}
WAGTAILDOCS_EXTENSIONS = [
    "csv",
    "docx",
    "odt",
    "ods",
    "odp",
    "pdf",
    "pptx",
    "rtf",
    "txt",
    "xlsx",
    "zip",
]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAILADMIN_USER_LOGIN_FORM = "accounts.forms.AdminLoginForm"

# Content Security Policy (Django 6 built-in). No inline script without the request's nonce.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [
        CSP.SELF,
        "data:",
        "https://tile.openstreetmap.org",
        "https://*.tile.openstreetmap.org",
    ],
    "connect-src": [CSP.SELF],
    # One framing policy: no page is framed (X-Frame-Options DENY says the same); the admin
    # frames its own previews (SAMEORIGIN), the widget's embed route any site (api/views.py).
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CSP_ADMIN = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-ancestors": [CSP.SELF],
}
# Browser features no page of the portal uses (core.middleware.PermissionsPolicyMiddleware).
MAILLAGE_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
# No Gravatar: staff addresses are not sent to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The proxies in front of the web processes (addresses or networks, comma-separated): only
# their X-Forwarded-For is believed, to find the client address of rate limits (core/client_ip.py).
MAILLAGE_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

# Open API (/api/v1/): requests per window and per IP for anonymous clients; None switches it off.
# The public certificate verification page: requests per address and window (seconds).
MAILLAGE_CERTIFICATE_VERIFY_RATE = (
    int(os.environ.get("CERTIFICATE_VERIFY_RATE_REQUESTS", "30")),
    int(os.environ.get("CERTIFICATE_VERIFY_RATE_SECONDS", "60")),
)
MAILLAGE_API_RATE_LIMIT = (
    int(os.environ.get("API_RATE_LIMIT_REQUESTS", "300")),
    int(os.environ.get("API_RATE_LIMIT_SECONDS", "60")),
)
MAILLAGE_API_MAX_PAGE_SIZE = 100
# Days after which the data of past activity is anonymised (registrations and their answers,
# old loans' requesters, unsubscribed addresses, the staff access log): three years by default.
# How long a seat freed on a session stays held for the person or group the waiting list
# offers it to, before it passes to the next (never past the session's start).
MAILLAGE_OFFER_HOLD_HOURS = int(os.environ.get("OFFER_HOLD_HOURS", "48"))
MAILLAGE_RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "1095"))

# The numérithèque desk may hand a loan over this many days before its pick-up day (a Sunday
# pick-up collected on Friday or Saturday, when the desk is open); its items are then held
# from the day they leave.
MAILLAGE_NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE = int(
    os.environ.get("NUMERITHEQUE_CHECK_OUT_DAYS_BEFORE", "2")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Territorial diagnosis: the distance (km, straight line from a commune's centre) within which a
# place counts as near; the page lets people choose another.
MAILLAGE_TERRITORY_RADIUS_KM = float(os.environ.get("TERRITORY_RADIUS_KM", "10"))

# Partners' agendas relayed in (relay/): a feed larger than this is refused whole; each request
# times out after this many seconds; recurring events are expanded this far ahead; a feed with
# more occurrences than this is refused whole. The hosts listed in RELAY_ALLOWED_HOSTS are
# fetched even at a private address (a partner on the Hub's own network; the tests' server).
MAILLAGE_RELAY_MAX_BYTES = int(os.environ.get("RELAY_MAX_BYTES", str(5 * 1024 * 1024)))
MAILLAGE_RELAY_TIMEOUT_SECONDS = float(os.environ.get("RELAY_TIMEOUT_SECONDS", "20"))
MAILLAGE_RELAY_HORIZON_DAYS = int(os.environ.get("RELAY_HORIZON_DAYS", "365"))
MAILLAGE_RELAY_MAX_EVENTS = int(os.environ.get("RELAY_MAX_EVENTS", "2000"))
MAILLAGE_RELAY_ALLOWED_HOSTS = env_list("RELAY_ALLOWED_HOSTS")
