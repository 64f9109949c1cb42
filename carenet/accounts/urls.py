from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("", views.account, name="account"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<uuid:organisation_id>/", views.organisation_detail, name="organisation"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<uuid:user_id>/", views.user_detail, name="user"),
    path("users/<uuid:user_id>/roles/grant/", views.role_grant, name="role_grant"),
    path("users/<uuid:user_id>/roles/<uuid:membership_id>/revoke/", views.role_revoke, name="role_revoke"),
    path("unlock/", views.unlock, name="unlock"),
    path("unlock/<str:token>/", views.unlock_with, name="unlock_with"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/end/", views.session_end, name="session_end"),
    path("tokens/", views.api_tokens, name="api_tokens"),
    path("tokens/new/", views.api_token_new, name="api_token_new"),
    path("tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
