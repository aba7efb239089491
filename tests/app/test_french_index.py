"""ui/french_index.py on Streamlit's own index.html: French page, English note marked, our script."""

from pathlib import Path

import streamlit

from ui import french_index

INDEX = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()


def test_streamlit_index_becomes_french():
    page = french_index.frenchify_index(INDEX).decode()
    assert '<html lang="fr">' in page and 'lang="en">' in page.split("<body>")[1]
    assert "Activez JavaScript" in page
    assert page.index('<div lang="en">') < page.index("You need to enable JavaScript")
    assert '"Skip to main content": "Aller au contenu principal"' in page  # kiosk_fr.js, inlined
    assert page.index("kiosk-annonce") < page.index("</head>")


def test_install_wraps_the_static_handler_once():
    from streamlit.web.server.starlette import starlette_static_routes as routes

    original = routes.create_streamlit_static_handler
    try:
        assert french_index.install() and french_index.install()
        handler = routes.create_streamlit_static_handler(directory=str(Path(streamlit.__file__).parent / "static"),
                                                         base_url=None)
        assert isinstance(handler, french_index.FrenchIndex)
        assert not isinstance(handler.app, french_index.FrenchIndex)
    finally:
        routes.create_streamlit_static_handler = original
