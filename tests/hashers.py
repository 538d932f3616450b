"""Argon2 as the application hashes passwords, at the cheapest cost: the tests create
hundreds of users, and the production cost (a third of a second each) would spend
minutes of the suite on hashing alone."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1
