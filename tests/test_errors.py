"""Error pages in HTML, or JSON when the client asks for JSON."""

from flask import request


def test_404_is_an_html_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"Page not found" in response.data


def test_404_is_json_for_json_clients(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"] == "Page not found"


def test_request_larger_than_max_content_length_is_413(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024

    @app.post("/__echo")
    def _echo():
        return {"size": len(request.form.get("text", ""))}

    response = app.test_client().post("/__echo", data={"text": "x" * 4096})
    assert response.status_code == 413
    assert b"larger than we accept" in response.data


def test_unexpected_error_gives_the_500_page(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/__boom")
    def _boom():
        raise RuntimeError("secret detail of the failure")

    response = app.test_client().get("/__boom")
    assert response.status_code == 500
    assert b"Something went wrong" in response.data
    assert b"secret detail" not in response.data
