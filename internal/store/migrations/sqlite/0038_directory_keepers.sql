-- Service contacts who keep their own directory entries (issue 20 item 3):
-- an account holding the service-contact role may change only the services
-- linked to it here. A directory editor makes and removes each link.
CREATE TABLE dir_service_keepers (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    service_id TEXT NOT NULL REFERENCES dir_services (id) ON DELETE CASCADE,
    linked_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    linked_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, service_id)
);
CREATE INDEX dir_service_keepers_service ON dir_service_keepers (service_id);
