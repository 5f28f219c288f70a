FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=cms.settings.production
WORKDIR /app

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings to import; these placeholders never reach a running container.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput

RUN useradd --create-home verity && mkdir -p /app/media && chown verity /app/media
USER verity
EXPOSE 8000
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "cms.wsgi:application"]
