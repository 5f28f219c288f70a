"""A NUL character in a path or query string is refused: a 400 on the site, a 422 problem on the API."""


def test_the_site_search_refuses_a_nul_character(client, home):
    response = client.get("/search/", {"q": "tears\x00"})
    assert response.status_code == 400
    assert b"NUL character" in response.content


def test_the_api_refuses_a_nul_character_with_a_problem_document(client, home):
    response = client.get("/api/v3/pages/find/", {"html_path": "/blog/\x00"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "The request contains a NUL character, which no field accepts."


def test_ordinary_requests_pass(client, home):
    assert client.get("/search/", {"q": "tears"}).status_code == 200
