#!/usr/bin/env bash
# Installs the real services and Python packages the test suite uses, from Debian's packages (PyPI is not needed):
# PostgreSQL 15 (tests make throw-away clusters with initdb; the system service is never used), Redis, Django 3.2,
# Celery 5.2, django-celery-beat, psycopg2 and psycopg 3, redis-py, stripe, Django REST framework, django-rq, dj-database-url,
# django-environ and django-split-settings (the analyzer oracle loads fixtures using them), Neovim (an outside LSP client) and unzip.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(postgresql redis-server python3-django python3-celery python3-django-celery-beat python3-psycopg2 python3-psycopg
  python3-redis python3-stripe python3-aiosmtpd python3-djangorestframework python3-django-rq
  python3-dj-database-url python3-django-environ python3-django-split-settings neovim unzip)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo_cmd=(); [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import django, celery, django_celery_beat, psycopg2, psycopg, redis, stripe, aiosmtpd, rest_framework, django_rq, dj_database_url, environ, split_settings; print("test deps ready: django", django.get_version(), "celery", celery.__version__)'
