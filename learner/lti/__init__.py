"""Schools' learning platforms over LTI 1.3 (with the `pylti1p3` library).

keys       the tool's RSA keys (instance/, with a kid), rotation, the JWKS
platforms  registered platforms and deployments; the origins that may frame a launch
tool       pylti1p3 wired to our database: registrations, nonces, launch data
launch     what a launch does: the person (issuer + sub), role, class, graded link
links      what a resource link opens (lessons; scenarios join with one line)
"""
