"""The product: people, groups, supervision, practice, the ladder and the coach.

A map, one line a module, grouped by domain. Services are plain functions (writers take
`*, session`, readers take it positionally); views in `views/` only load, ask `policy`,
validate, call a service and redirect.

People and groups
    accounts       sign-up, learner accounts, login, passwords, deactivation
    groups         families, classes and workplaces; join codes, invites, members
    models         every table (SQLModel), with the enums for roles, levels, statuses
    errors         the domain errors services raise, each with a message and a field
    policy         every authorization question, and loaders that 404/403
    personal_data  download everything about a person, erase it, retention purge

Learning
    progress       which modules a learner needs, what they opened, scored, completed
    profile        the privacy setup (co-signed) and the personal brand
    privacy        the simulated settings panel and its scoring per age band
    agreements     the family agreement, written and signed together

Supervised practice and the ladder
    practice       practice posts: compose, submit, revise, withdraw; decide, flag
    ladder         what unlocks each level, sign-off, step back, certificates
    transparency   the learner's log of every supervisor action about them
    notifications  in-app notifications and the daily digest
    reminders      reminders of what is due, in the app and by e-mail
    coach/         the post coach: rules as data, the engine, evaluation on corpora
    scenarios      scenario runs, actions, reflections; what supervisors read of them
    scenario_engine  the rules of play as pure functions: events, branching, the score

Classrooms and workplaces
    classroom      assignments, the class dashboard, the misconception view
    live           live class sessions kept in the database
    roster         class lists from CSV, login cards
    workplace      the versioned policy, acknowledgements, managers, the report

Schools' systems
    lti/           LTI 1.3 tool: keys, registered platforms, launch, deep linking, grades,
                   roster sync (Names and Role Provisioning)
    oneroster      a district's OneRoster 1.1 CSV zip: classes, teachers, students

The web
    forms          every form the app accepts (the input gate, CSRF included)
    views/         the blueprints, one module each
    config         defaults, environment, overrides

Plumbing with no domain rules (core/)
    core.db          the engine, one session per request, SQLite write transactions
    core.extensions  Flask-Babel, CSRF, Flask-Limiter, Flask-Login, created once
    core.sessions    login sessions, timeouts, `acting_user()`
    core.passwords   Argon2id hashing and the password rules
    core.throttle    failed logins and wrong join codes, counted in the database
    core.ratelimit   Flask-Limiter's counters in the database (`database://`)
    core.mail        outgoing e-mail (SMTP, or the log)
    core.markdown    the one Markdown renderer (markdown-it, then nh3)
    core.images      uploads checked, re-encoded without metadata
    core.labels      the words each kind of group uses for roles and levels
    core.marks       N_, a text marked for the catalogue and translated where it is shown
    core.catalogues  the .po catalogues compiled, fuzzy and broken messages left out
    core.web         URL ids, security headers, template helpers

Operations
    cli/           the `flask` commands, one module per group (db, content, jobs, admin, data,
                   lti, oneroster)
    seeds/         demo data (`flask demo`) and district-scale data (`flask seed-scale`)
"""
