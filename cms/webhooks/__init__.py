"""Webhooks: what happened, told to the frontend and other systems.

models.py    endpoints (URL, secret, events) and deliveries (the outbox)
events.py    which changes become events, written to the outbox in the change's own transaction
delivery.py  signed, retried sending, by the tasks worker
views.py     the Webhooks admin: endpoints, deliveries, retry
"""
