"""Pages of training and employment: courses and roll call (``courses``), the social side — enrolment from a
case, alerts, CV, job fairs and placements (``people``), companies, rooms and figures (``network``), and the
public catalogue, enrolment and certificate check (``public``)."""
