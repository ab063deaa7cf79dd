def is_referent(user) -> bool:
    return user.referent_roles.exists()
