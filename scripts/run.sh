#!/usr/bin/env bash
# One command from a fresh clone to a working booth: virtualenv, install, migrate, seed
# demo data, publish the knowledge base, and serve on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
HOST=${KIOSK_HOST:-127.0.0.1}
PORT=${KIOSK_PORT:-8000}

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .

# A random secret on first run, kept in instance/ (ignored by git).
mkdir -p instance
if [ ! -f instance/config.py ]; then
  .venv/bin/python -c 'import secrets; print(f"SECRET_KEY = {secrets.token_hex(32)!r}")' > instance/config.py
  chmod 600 instance/config.py
fi

.venv/bin/flask --app kiosk db upgrade
demo_output=$(.venv/bin/flask --app kiosk demo)
echo "$demo_output"

# Publish the knowledge base (check, build, switch /kb/ to it); the schedule page shows
# the demo session. QR codes print the site's public address, which is a setting.
if [ -z "${KIOSK_PUBLIC_BASE_URL:-}" ] && [ -z "${KIOSK_KB_PUBLIC_URL:-}" ]; then
  echo "提示（开发环境）：没有设置 KIOSK_PUBLIC_BASE_URL，知识库的二维码指向 http://${HOST}:${PORT}/kb/，" \
       "只有这台电脑能打开。给别人的手机用，请设为手机能打开的网址后重新运行。" >&2
fi
KB_SITE_URL=${KB_SITE_URL:-http://${HOST}:${PORT}/kb/} .venv/bin/flask --app kiosk kb publish

base="http://${HOST}:${PORT}"
cat <<MSG

  平板沟通会页面 (kiosk):   ${base}/kiosk/
  工作人员后台 (admin):     ${base}/admin/login   (demo accounts above)
  知识库 (knowledge base):  ${base}/kb/

  On the tablet, open the kiosk page and sign in with the staff account and the
  session code above to bind it to the demo session.
MSG
exec .venv/bin/flask --app kiosk serve --host "$HOST" --port "$PORT"
