"""The OCOP Connect domain: models, rules and the verbs that change them."""
