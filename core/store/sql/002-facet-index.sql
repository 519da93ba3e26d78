-- 002: a covering index in the facet snapshot's order, so loading it never reads the bodies
CREATE INDEX practices_facets ON practices (
  coalesce(published_at, created_at) DESC, id DESC, status, country, city, project, language, year
);
