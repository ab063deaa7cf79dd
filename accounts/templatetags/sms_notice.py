"""What a member is told while alerts cannot reach them by SMS."""

from django import template

register = template.Library()


@register.filter
def sms_setup(user) -> str:
    """ "unverified" (a number, not verified yet), "missing" (no number), or "" when nothing
    needs saying: SMS reach them, or they chose not to receive any."""
    if not getattr(user, "is_authenticated", False) or user.sms_opted_out_at is not None:
        return ""
    if not user.phone:
        return "missing"
    return "" if user.can_receive_sms else "unverified"


@register.inclusion_tag("neighbourhoods/sms_notice.html")
def sms_notice(user):
    """The notice, where members look (home page, community page, feed), until it is done."""
    return {"state": sms_setup(user)}
