"""Thin tasks: who to tell is decided in one task, and each email is its own task, retried
under the platform's one email policy (accounts/emails.py)."""

from celery import shared_task

from accounts.emails import email_task

from . import notifications


@shared_task
def notify_membership(membership_id: int, event: str) -> None:
    for to in notifications.membership_recipients(membership_id=membership_id, event=event):
        send_membership_email.delay(membership_id, event, to)


@email_task
def send_membership_email(membership_id: int, event: str, to: str) -> None:
    notifications.membership_email(membership_id=membership_id, event=event, to=to)


@email_task
def send_referent_email(role_id: int) -> None:
    notifications.referent_appointed_email(role_id=role_id)
