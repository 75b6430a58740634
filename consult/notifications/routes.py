from consult.notifications import bp


@bp.get("/manage/outbox")
def outbox():
    return "outbox"
