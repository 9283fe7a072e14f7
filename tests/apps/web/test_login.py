"""Login is required everywhere; login and logout (POST) work in Chinese."""

import pytest
from django.urls import reverse

from factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGES = [
    "home", "registry:school-list", "registry:class-list", "registry:student-list", "registry:staff-list",
    "registry:facility-list", "registry:figures",
]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_redirected_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_detail_pages_require_login(client, county):
    for name, pk in [("registry:school-detail", county.renmin.pk),
                     ("registry:student-detail", county.renmin_pupils[0].pk)]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_is_chinese(client):
    html = client.get(reverse("login")).content.decode()
    assert 'lang="zh-Hans"' in html
    assert "用户名" in html and "密码" in html and "登录" in html


def test_login_with_password_lands_on_home(client, county):
    response = client.post(reverse("login"), {"username": "web_admin", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    html = response.content.decode()
    assert "教育局管理员" in html and "测试县" in html and "退出" in html


def test_wrong_password_shows_chinese_error(client, county):
    response = client.post(reverse("login"), {"username": "web_admin", "password": "nope"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_logout_is_post_only(client, county):
    client.force_login(county.users.staff)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_top_bar_and_navigation(client, county):
    client.force_login(county.users.school)
    html = client.get(reverse("registry:student-list")).content.decode()
    assert "智慧教育大脑" in html and "学校管理员" in html and "测试人民路小学" in html
    assert f'href="{reverse("registry:student-list")}" class="active"' in html
    assert "即将上线" not in html and "规划监测" in html and "网上招生" in html
    assert 'action="/logout/"' in html and 'method="post"' in html
