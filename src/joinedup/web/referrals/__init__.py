"""Making, reading and acting on referrals."""
