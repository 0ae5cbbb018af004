-- Lists start from the people a user may see: break-glass grants by user.
CREATE INDEX break_glass_user ON break_glass (user_id, person_id);
