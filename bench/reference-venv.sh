# Sourced by the bench scripts: makes sure bench/.venv holds the Python reference
# (openai-chatkit 1.6.5, with fastapi and uvicorn for its app). Run from the repository root.
VENV=bench/.venv
if ! "$VENV/bin/python" -c 'import chatkit, fastapi, uvicorn' 2>/dev/null ||
  [ "$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("openai-chatkit"))')" != 1.6.5 ]; then
  printf '== installing openai-chatkit 1.6.5 into %s\n' "$VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q openai-chatkit==1.6.5 fastapi uvicorn
fi
