"""/favicon.ico: browsers ask for it on every site, whatever the page declares."""

import io

from PIL import Image


def test_favicon_ico_is_a_real_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.cache_control.max_age == 86400
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO"
    assert {(16, 16), (32, 32)} <= icon.info["sizes"]
    response.close()


def test_pages_declare_both_icons(client):
    html = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/favicon.ico" sizes="48x48">' in html
    assert 'href="/static/images/favicon.svg" type="image/svg+xml"' in html
