"""Flask extensions, created unbound and bound in create_app()."""

import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase

# Named constraints so Alembic can alter them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


log = logging.getLogger(__name__)


class ConsultSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy whose end-of-request cleanup survives a lost connection.

    The session is closed after the response has been built; closing rolls back
    and, when the database dropped the connection in the meantime (a restart, a
    failover, an idle timeout), that ROLLBACK raises. Left alone, the error
    escapes Flask after the response was made: the visitor gets the server's
    bare "Internal Server Error" instead of the finished page, and the broken
    session stays registered under that context's id, to be handed to a later
    context that happens to get the same id. The connection is already
    invalidated (the pool replaces it), so the finished response stands.
    """

    def _teardown_session(self, exc: BaseException | None) -> None:
        try:
            self.session.remove()
        except DBAPIError as error:
            self.session.registry.clear()
            if not error.connection_invalidated:
                raise
            log.warning("database connection lost before the session closed: %s", error)


db = ConsultSQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
