import datetime

from django.core import mail
from django.utils import timezone

import pytest

from core.errors import DomainError
from events import services as event_services
from events.models import Registration, Session
from tests.factories.accounts import UserFactory, hub_staff
from tests.factories.directory import PlaceFactory
from tests.factories.trainings import training_page, training_session
from trainings import services, tasks
from trainings.models import QuestionnaireInvitation, SatisfactionAnswer

pytestmark = pytest.mark.django_db


def past_registration(*, attended: bool | None = True, user=None, training=None):
    """A registration on a training session that ended yesterday, attendance marked."""
    training = training or training_page(title="Accompagner les démarches CAF")
    session = training_session(training, days=3, venue=PlaceFactory())
    registration = event_services.registration_create(session=session, user=user or UserFactory())
    start = timezone.now() - datetime.timedelta(days=1)
    Session.objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=3)
    )
    if attended is not None:
        registration = event_services.registration_mark_attendance(
            registration=registration, attended=attended
        )
    return registration


class TestCertificate:
    def test_attendee_downloads_a_pdf(self, client):
        registration = past_registration()
        client.force_login(registration.user)
        response = client.get(f"/formation/attestations/{registration.pk}.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_mon_espace_links_to_it(self, client):
        registration = past_registration()
        client.force_login(registration.user)
        content = client.get("/mon-espace/").content.decode()
        assert f"/formation/attestations/{registration.pk}.pdf" in content

    @pytest.mark.parametrize("attended", [False, None])
    def test_absent_or_unmarked_people_get_404(self, client, attended):
        registration = past_registration(attended=attended)
        client.force_login(registration.user)
        assert client.get(f"/formation/attestations/{registration.pk}.pdf").status_code == 404

    def test_other_people_get_404_and_anonymous_login(self, client):
        registration = past_registration()
        url = f"/formation/attestations/{registration.pk}.pdf"
        assert client.get(url).status_code == 302
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        client.force_login(hub_staff())
        assert client.get(url).status_code == 404


class TestQuestionnaire:
    def test_daily_job_sends_once(self):
        registration = past_registration(attended=None)
        absent = past_registration(attended=False)
        assert tasks.questionnaire_send_due.delay().get() == 1
        assert tasks.questionnaire_send_due.delay().get() == 0
        assert tasks.questionnaire_send.delay(registration.pk).get() is False
        assert [message.to for message in mail.outbox] == [[registration.user.email]]
        assert f"/formation/questionnaire/{registration.pk}/" in mail.outbox[0].body
        assert not QuestionnaireInvitation.objects.filter(registration=absent).exists()

    def test_not_sent_before_the_end(self):
        training = training_page()
        session = training_session(training, days=2)
        event_services.registration_create(session=session, user=UserFactory())
        assert tasks.questionnaire_send_due.delay().get() == 0

    def test_participant_answers_once(self, client):
        registration = past_registration()
        client.force_login(registration.user)
        url = f"/formation/questionnaire/{registration.pk}/"
        assert client.get(url).status_code == 200
        answer = {
            "rating": "4",
            "useful": "Les cas pratiques",
            "improve": "",
            "would_recommend": "oui",
        }
        assert client.post(url, answer).status_code == 302
        saved = SatisfactionAnswer.objects.get()
        assert saved.rating == 4 and saved.would_recommend is True
        again = client.post(url, {**answer, "rating": "1"})
        assert again.status_code == 409
        assert "déjà répondu" in again.content.decode()
        assert SatisfactionAnswer.objects.get().rating == 4

    def test_invalid_rating_is_a_form_error(self, client):
        registration = past_registration()
        client.force_login(registration.user)
        url = f"/formation/questionnaire/{registration.pk}/"
        response = client.post(url, {"rating": "9", "would_recommend": "oui"})
        assert response.status_code == 400
        assert not SatisfactionAnswer.objects.exists()

    def test_not_registered_people_are_refused(self, client):
        registration = past_registration()
        url = f"/formation/questionnaire/{registration.pk}/"
        assert client.get(url).status_code == 302
        client.force_login(UserFactory())
        assert client.post(url, {"rating": "5", "would_recommend": "oui"}).status_code == 404
        absent = past_registration(attended=False)
        client.force_login(absent.user)
        assert client.get(f"/formation/questionnaire/{absent.pk}/").status_code == 404
        assert not SatisfactionAnswer.objects.exists()

    def test_service_refusals(self):
        registration = past_registration()
        with pytest.raises(DomainError) as error:
            services.questionnaire_answer(
                registration=registration, user=UserFactory(), rating=5, would_recommend=True
            )
        assert error.value.code == "not_registered"
        with pytest.raises(DomainError) as error:
            services.questionnaire_answer(
                registration=registration, user=registration.user, rating=0, would_recommend=True
            )
        assert error.value.code == "invalid_rating"
        future = event_services.registration_create(
            session=training_session(training_page()), user=registration.user
        )
        with pytest.raises(DomainError) as error:
            services.questionnaire_answer(
                registration=future, user=registration.user, rating=5, would_recommend=True
            )
        assert error.value.code == "too_early"
        assert not SatisfactionAnswer.objects.exists()

    def test_staff_see_averages_and_comments(self, client):
        training = training_page(title="Cyber")
        for rating, recommend in ((5, True), (2, False)):
            registration = past_registration(training=training)
            services.questionnaire_answer(
                registration=registration,
                user=registration.user,
                rating=rating,
                useful=f"Utile {rating}",
                would_recommend=recommend,
            )
        client.force_login(hub_staff())
        index = client.get("/admin/formations/satisfaction/").content.decode()
        assert "Cyber" in index and "3,5 / 5" in index
        detail = client.get(f"/admin/formations/satisfaction/{training.pk}/").content.decode()
        assert "Utile 5" in detail and "Utile 2" in detail

    def test_mediators_cannot_see_the_answers(self, client, user):
        client.force_login(user)
        assert client.get("/admin/formations/satisfaction/").status_code in (302, 403)

    def test_personal_data(self):
        from trainings.personal_data import answers_erase, answers_export

        registration = past_registration()
        services.questionnaire_answer(
            registration=registration, user=registration.user, rating=3, would_recommend=False
        )
        assert answers_export(registration.user)[0]["note"] == 3
        answers_erase(registration.user)
        assert not SatisfactionAnswer.objects.exists()


class TestTrainingPage:
    def test_resources_for_registered_people_only(self, client):
        training = training_page(
            resources=[("link", {"title": "Support de la journée", "url": "https://exemple.fr/s"})]
        )
        session = training_session(training)
        content = client.get(training.url).content.decode()
        assert training.title in content and "Support de la journée" not in content
        someone = UserFactory()
        client.force_login(someone)
        assert "Support de la journée" not in client.get(training.url).content.decode()
        event_services.registration_create(session=session, user=someone)
        assert "Support de la journée" in client.get(training.url).content.decode()

    def test_shows_sessions_linking_to_registration(self, client):
        training = training_page()
        session = training_session(training, capacity=4)
        content = client.get(training.url).content.decode()
        assert session.get_absolute_url() in content and "4 places restantes" in content

    def test_relayed_training_links_to_the_partner(self, client):
        training = training_page(
            is_relayed=True, external_registration_url="https://partenaire.fr/i"
        )
        session = training_session(training)
        assert session.external_registration_url == "https://partenaire.fr/i"
        assert session.capacity is None
        with pytest.raises(DomainError):
            event_services.registration_create(session=session, user=UserFactory())


class TestSessionAdmin:
    """A training's sessions go through events' one session admin."""

    def session_data(self, training, start, hours=2, **extra):
        return {
            "page": training.pk,
            "title": "",
            "kind": "training",
            "start": start.strftime("%Y-%m-%d %H:%M"),
            "end": (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M"),
            "online_url": "",
            "outside_location": "",
            "external_registration_url": "",
            "registration_opens_at": "",
            "registration_closes_at": "",
            "waiting_list_enabled": "on",
            **extra,
        }

    def test_staff_add_edit_cancel_sessions(self, client):
        training = training_page()
        place = PlaceFactory()
        client.force_login(hub_staff())
        listing = client.get(f"/admin/agenda/sessions/?page_id={training.pk}")
        assert listing.status_code == 200
        form = client.get(f"/admin/agenda/sessions/new/?page_id={training.pk}").content.decode()
        assert 'value="training" selected' in form
        start = timezone.localtime(timezone.now() + datetime.timedelta(days=9)).replace(
            minute=0, second=0, microsecond=0
        )
        data = self.session_data(training, start, venue=place.pk, capacity="10")
        response = client.post("/admin/agenda/sessions/new/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        session = Session.objects.get()
        assert session.kind == "training" and session.departement == place.departement
        data = self.session_data(training, start, hours=3, venue=place.pk, capacity="6")
        response = client.post(f"/admin/agenda/sessions/edit/{session.pk}/", data)
        assert response.status_code == 302
        session.refresh_from_db()
        assert session.capacity == 6 and session.sequence == 1
        cancel = f"/admin/agenda/sessions/manage/{session.pk}/cancel/"
        client.post(cancel, {"reason": ""})
        session.refresh_from_db()
        assert not session.is_cancelled
        client.post(cancel, {"reason": "Intervenant absent"})
        session.refresh_from_db()
        assert not session.is_cancelled  # the confirmation step first
        client.post(cancel, {"reason": "Intervenant absent", "notified": "0"})
        session.refresh_from_db()
        assert session.is_cancelled

    def test_end_before_start_is_refused_in_french(self, client):
        training = training_page()
        client.force_login(hub_staff())
        start = timezone.localtime(timezone.now() + datetime.timedelta(days=9))
        response = client.post(
            "/admin/agenda/sessions/new/", self.session_data(training, start, hours=-1)
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "La fin de la session doit venir après son début." in html
        assert "events_end_after_start" not in html
        assert not Session.objects.exists()

    def test_training_page_editor_lists_its_sessions(self, client):
        training = training_page()
        session = training_session(training, capacity=0)
        client.force_login(hub_staff())
        content = client.get(f"/admin/pages/{training.pk}/edit/").content.decode()
        assert f"/admin/agenda/sessions/new/?page_id={training.pk}" in content
        assert f"/admin/agenda/sessions/manage/{session.pk}/" in content
        assert "0 / 0 (0 en attente)" in content

    def test_mediators_are_refused(self, client, user):
        training = training_page()
        session = training_session(training)
        client.force_login(user)
        for url in (
            f"/admin/agenda/sessions/?page_id={training.pk}",
            f"/admin/agenda/sessions/manage/{session.pk}/cancel/",
        ):
            assert client.post(url, {"reason": "x"}).status_code in (302, 403)
        session.refresh_from_db()
        assert not session.is_cancelled
        assert Registration.objects.count() == 0
