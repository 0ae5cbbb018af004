-- Each goal keeps the date of its latest review, kept by the database itself
-- on every path that adds a review (forms, imports, restores). The tasks page
-- read it through a subquery per goal; on PostgreSQL a plan made while
-- goal_reviews was nearly empty went on scanning the whole table for every
-- goal as it grew (4 ms a tasks page on the national data set).
ALTER TABLE goals ADD COLUMN reviewed_on DATE;
UPDATE goals g SET reviewed_on = r.latest
    FROM (SELECT goal_id, MAX(on_date) AS latest FROM goal_reviews GROUP BY goal_id) r
    WHERE r.goal_id = g.id;
CREATE FUNCTION goal_reviewed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE goals SET reviewed_on = NEW.on_date
        WHERE id = NEW.goal_id AND (reviewed_on IS NULL OR reviewed_on < NEW.on_date);
    RETURN NULL;
END $$;
CREATE TRIGGER goal_reviews_reviewed_on AFTER INSERT ON goal_reviews
    FOR EACH ROW EXECUTE FUNCTION goal_reviewed();
